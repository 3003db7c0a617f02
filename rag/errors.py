"""The project's error family: every user-facing failure is a RagError whose message names the problem and the fix."""

from __future__ import annotations


class RagError(Exception):
    """Base of every error a user may see; the CLI prints it as one line, the UI with st.error."""


class SettingsError(RagError):
    """A setting has an unknown key or an impossible value."""


class CorpusError(RagError):
    """The corpus folder is missing or holds nothing that can be read."""


class UnreadableFileError(RagError):
    """One corpus file cannot be read (encrypted, no text layer, unknown format, damaged)."""


class IndexMissingError(RagError):
    """No index has been built where one was expected."""


class StaleIndexError(RagError):
    """The index on disk was built with other settings or another corpus."""


class BadQuestionError(RagError):
    """The question is empty or unusable."""


class BackendUnavailableError(RagError):
    """A configured language model backend cannot be reached or loaded."""


class IndexDamagedError(RagError):
    """An index file is missing, truncated or altered since it was written (its checksum no longer matches)."""


class IndexNotWritableError(RagError):
    """The index folder cannot be written (read-only, a file in its place, disk full)."""
