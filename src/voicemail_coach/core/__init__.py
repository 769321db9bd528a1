"""Pure-Python core: transcripts, the rubric and the grader. No Qt, no audio devices."""
