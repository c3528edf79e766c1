"""``python -m kg`` is the ``kg`` command."""

from kg.cli import cli

cli(prog_name="kg")
