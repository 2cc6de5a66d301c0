"""The one error a user sees: a sentence naming the file and what is wrong (exit status 2)."""


class DatasetError(Exception):
    """Input or arguments that the run cannot go on with.

    The message is one plain sentence for the user; the command line prints it and exits
    with status 2, never with a traceback.
    """

    exit_status = 2
