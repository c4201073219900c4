"""The one exception the store raises for anything a user has to fix."""

from optbench.errors import OptbenchError


class StoreError(OptbenchError):
    """The database cannot be used: unreachable, corrupt, foreign, or too new.

    The message is one line and names the URL or file.
    """
