"""`python -m valuescout.cli` runs the same command as `valuescout`."""

from valuescout.cli.main import main

main()
