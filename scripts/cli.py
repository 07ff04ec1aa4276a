"""`audience-segments <command>`: one entry point for the package's tools.

    audience-segments gate [options]             the Great Expectations quality gate
    audience-segments generate-data [options]    synthetic sources (CSV seeds or Parquet)
    audience-segments benchmark [options]        build benchmarks at 100k / 1M customers
    audience-segments check-seeds                the demo seeds match the generator
    audience-segments source-contract [options]  docs/source_contract.md from the registry
    audience-segments data-docs-assets           the gate's Data Docs stylesheets and scripts, for offline use

Each command takes the options of its module (`audience-segments gate --help`).
The modules load lazily: the gate's Great Expectations import is not paid by
the others.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence

COMMANDS: dict[str, str] = {
    "gate": "scripts.quality_gate",
    "generate-data": "scripts.generate_data",
    "benchmark": "scripts.benchmark",
    "check-seeds": "scripts.check_seeds",
    "source-contract": "scripts.source_contract",
    "data-docs-assets": "scripts.data_docs_assets",
}


def usage() -> str:
    return (__doc__ or "").strip()


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or arguments[0] in ("-h", "--help"):
        print(usage())
        return 0 if arguments else 2
    command, *rest = arguments
    if command not in COMMANDS:
        print(f"audience-segments: unknown command {command!r}; one of {', '.join(COMMANDS)}", file=sys.stderr)
        return 2
    entry: Callable[[Sequence[str] | None], int] = importlib.import_module(COMMANDS[command]).main
    return entry(rest)


if __name__ == "__main__":
    sys.exit(main())
