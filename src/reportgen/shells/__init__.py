"""Shells: the command line, the Prefect flows and their serving, the console; thin, over run."""
