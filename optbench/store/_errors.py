"""The one exception the store raises for anything a user has to fix."""


class StoreError(Exception):
    """The database cannot be used: unreachable, corrupt, foreign, or too new.

    The message is one line and names the URL or file.
    """
