"""Pure domain code: the command grammar, permissions, actions, reflections and reports.

Imports only the standard library, pydantic and itself (STYLE.md §1).
"""
