"""reportgen: Police and Crime Panel papers from an action register and partner returns.

The library is the product; the CLI (`reportgen.shells.cli`) and the Prefect flows (`flows/`) are thin
shells over `reportgen.run.build.build_draft` and friends.
"""

__version__ = "0.1.0"
