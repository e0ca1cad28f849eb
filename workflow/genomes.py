"""Reads and checks the workflow's genomes table before any job runs.

Columns: species, genome, annotation (tab-separated, header first; blank lines and # comments are
skipped). Every problem is reported at once, each naming the file, line and fix, so a table of
hundreds of genomes is fixed in one pass rather than one failed cluster job at a time.
"""

import os
import re

REQUIRED = ("species", "genome", "annotation")
# Species names become file names and Snakemake wildcards, and specieslm rejects whitespace.
SPECIES_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


class GenomesTableError(Exception):
    """A genomes table that cannot be run: the message lists every problem found."""


def read_genomes(path):
    """Returns [{species, genome, annotation, line}] in table order, or raises GenomesTableError."""
    if not os.path.isfile(path):
        raise GenomesTableError(f"genomes table not found: {path}. Set `genomes:` in the config to a TSV with columns {', '.join(REQUIRED)}.")
    problems = []
    rows = []
    header = None
    first_line = {}
    with open(path, encoding="utf-8") as f:
        for line_no, raw in enumerate(f, start=1):
            text = raw.rstrip("\r\n")
            if text.strip() == "" or text.startswith("#"):
                continue
            cols = [c.strip() for c in text.split("\t")]
            if header is None:
                header = cols
                missing = [c for c in REQUIRED if c not in header]
                if missing:
                    raise GenomesTableError(f"{path}:{line_no}: missing column(s) {', '.join(missing)}; the header has {', '.join(header)} (tab-separated: {chr(9).join(REQUIRED)})")
                continue
            if len(cols) != len(header):
                problems.append(f"{path}:{line_no}: expected {len(header)} tab-separated columns, found {len(cols)}")
                continue
            row = dict(zip(header, cols))
            species = row["species"]
            if not SPECIES_NAME.match(species):
                problems.append(f"{path}:{line_no}: species \"{species}\" must be letters, digits, _ . - only (it names files and jobs)")
            elif species in first_line:
                problems.append(f"{path}:{line_no}: duplicate species \"{species}\" (first on line {first_line[species]}); give each genome its own species name, e.g. {species}_2")
            else:
                first_line[species] = line_no
            for col in ("genome", "annotation"):
                p = row[col]
                if p == "":
                    problems.append(f"{path}:{line_no}: species \"{species}\" has no {col} path")
                elif not os.path.isfile(p):
                    problems.append(f"{path}:{line_no}: {col} file not found for species \"{species}\": {p} (paths are relative to the working directory {os.getcwd()})")
            rows.append({"species": species, "genome": row["genome"], "annotation": row["annotation"], "line": line_no})
    if header is None:
        raise GenomesTableError(f"{path}: empty genomes table; expected a header line with {', '.join(REQUIRED)}")
    if not rows and not problems:
        problems.append(f"{path}: no genomes listed below the header")
    if problems:
        raise GenomesTableError(f"{path} has {len(problems)} problem(s); nothing was run:\n  " + "\n  ".join(problems))
    return rows
