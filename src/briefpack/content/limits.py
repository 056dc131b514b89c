"""Limits that bound what reading one pack may cost: file size and nesting depth.

The limits on rendering (time, memory) are :mod:`briefpack.build.limits`.
"""

#: Largest pack file read, in bytes, unless ``--max-size`` says otherwise.
DEFAULT_MAX_SIZE = 5 * 1024 * 1024
#: Deepest nesting of lists and mappings accepted; the format itself needs eight.
MAX_DEPTH = 32
