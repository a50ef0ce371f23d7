"""Pure-Python domain: grade scales, source kinds, relations, claim types, errors.

Imports nothing of ours.
"""
