"""Reading schools' files in and writing reports out. Imports no textual."""
