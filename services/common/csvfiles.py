"""Reading CSV files as the company's offices produce them."""

from __future__ import annotations

import csv
import io


def read_csv_rows(data: bytes) -> list[list[str]]:
    """Rows of a CSV file in UTF-8 (with or without BOM) or GB18030 — what Excel on Chinese
    Windows saves. Raises ValueError for anything else."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError("the CSV file is neither UTF-8 nor GB18030")
    return list(csv.reader(io.StringIO(text)))
