"""``python -m analysis`` is the same as the ``stakemap`` command."""

from analysis.cli import run_command

run_command()
