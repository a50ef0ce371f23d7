"""Pure-Python domain: grade scales, source kinds, relations, claim types and errors. Imports nothing of ours."""
