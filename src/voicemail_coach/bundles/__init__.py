"""Review bundles: an attempt or a whole session as one file (audio, transcript, results, trainer comments)
that opens in the same views on another machine.

A bundle is a zip holding ``manifest.json`` and ``audio/<n>.<ext>``, nothing else. Import trusts none of it:
member names are checked against that shape, sizes are capped while reading, the manifest is validated
field by field, audio must decode, files are written under new names inside the recordings folder, and the
database changes in one transaction, so a bad bundle is refused with a plain message and changes nothing.
"""

from voicemail_coach.bundles.exporting import export_bundle
from voicemail_coach.bundles.importing import ImportSummary, import_bundle
from voicemail_coach.bundles.manifest import SUFFIX, BundleError, read_bundle, validate_manifest

__all__ = ["SUFFIX", "BundleError", "ImportSummary", "export_bundle", "import_bundle", "read_bundle", "validate_manifest"]
