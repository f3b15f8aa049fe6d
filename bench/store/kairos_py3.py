"""Patches an installed kairos 0.10.1 (Python 2 era) so it runs under Python 3.

Run by setupKairos.ts after `pip install kairos==0.10.1` into the benchmark's private virtualenv
(bench/.work/venv, gitignored); kairos's own code never enters the repository. Only the changes
needed for its Redis backend's insert path: dict iteration methods, urlparse, object.__new__
arguments, and the optional MonthDelta import (Gregorian intervals are not used here).
"""
import pathlib
import sys

import importlib.util

spec = importlib.util.find_spec('kairos')
if spec is None or spec.submodule_search_locations is None:
    sys.exit('kairos is not installed in this interpreter')
root = pathlib.Path(list(spec.submodule_search_locations)[0])

REPLACEMENTS = {
    'timeseries.py': [
        ('from monthdelta import MonthDelta', 'try:\n  from monthdelta import MonthDelta\nexcept ImportError:\n  MonthDelta = None'),
        ('return object.__new__(cls, client, **kwargs)', 'return object.__new__(cls)'),
        ('isinstance(client, (str,unicode))', 'isinstance(client, (str,))'),
        ('.iteritems()', '.items()'),
        ('.iterkeys()', '.keys()'),
        ('import functools', 'import functools\nfrom functools import reduce'),
    ],
    'redis_backend.py': [
        ('from urlparse import *', 'from urllib.parse import *'),
        ('.iteritems()', '.items()'),
    ],
}

MARKER = '# patched for Python 3 by ipscope bench/store/kairos_py3.py\n'

for name, pairs in REPLACEMENTS.items():
    path = root / name
    text = path.read_text()
    if text.startswith(MARKER):
        continue
    for old, new in pairs:
        if old not in text:
            sys.exit(f'kairos_py3: {name} does not contain {old!r}; is this kairos 0.10.1?')
        text = text.replace(old, new)
    path.write_text(MARKER + text)
print(f'kairos_py3: patched {root}')
