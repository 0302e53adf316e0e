"""Read: the workspace and its guarded spreadsheets, to the register and returns as typed values."""
