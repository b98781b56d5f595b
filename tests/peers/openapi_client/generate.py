"""Generates a Python client from an OpenAPI document with openapi-python-client, for
tests/tests/generated_client.rs.

`python generate.py DOCUMENT OUTPUT` does what `openapi-python-client generate --path
DOCUMENT --output-path OUTPUT --meta none` does, with no configuration file and the
generator's own post hooks (ruff, which must be on PATH), and prints one JSON object:
the generator's version and every problem it reported (level, header, detail). The
command line prints the same problems as text meant for people; as data, the test can
show them and tell them apart.
"""

import contextlib
import json
import sys
from pathlib import Path

from openapi_python_client import __version__, generate
from openapi_python_client.config import Config, ConfigFile, MetaType

document, output = Path(sys.argv[1]), Path(sys.argv[2])
config = Config.from_sources(
    config_file=ConfigFile(),
    meta_type=MetaType.NONE,
    document_source=document,
    file_encoding="utf-8",
    overwrite=False,
    output_path=output,
)
# Its progress goes to standard error: standard output is the report.
with contextlib.redirect_stdout(sys.stderr):
    problems = generate(config=config)
print(
    json.dumps(
        {
            "version": __version__,
            "problems": [
                {
                    "level": p.level.value,
                    "header": p.header.strip(),
                    "detail": (p.detail or "").strip(),
                }
                for p in problems
            ],
        }
    )
)
