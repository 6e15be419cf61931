"""A Common Transfer File (CTF): the DfE's XML for pupils moving school, read as the rows
of a roll so the pupils importer checks them as it checks any MIS export.

What is read of each <Pupil> (the DfE's CTF specification): <UPN>, <Surname>,
<Forename>, <DOB>, <BasicDetails><NCyearActual>, and <SENhistory>: <SEN><SENprovision>
(N, K or E) and the ranked needs <SENneeds><SENneed><SENtypeRank>/<SENtype> (found under
<SENhistory> or under its <SEN>). Everything else (addresses, contacts, attendance,
assessments) is left unread: sencoplan does not hold it. The file comes from another
school's system, so it is parsed with entity expansion and external entities refused.
A pupil's line is where their <Pupil> element starts in the file.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from sencoplan.domain.provision_map import school_year
from sencoplan.domain.years import year_after
from sencoplan.io.errors import ImportRejected, RowError
from sencoplan.io.tabular import SourceRow, Table, check_file, read_limited

HEADINGS = [
    "UPN",
    "Surname",
    "Forename",
    "DOB",
    "NC Year Actual",
    "SEN Provision",
    "Primary Need",
    "Secondary Need",
    "Admission Date",
]
_PUPIL_START = re.compile(rb"<(?:\w+:)?Pupil[\s>/]")


def _local(tag: str) -> str:
    """'{namespace}Pupil' -> 'Pupil': a CTF may or may not declare a namespace."""
    return tag.rsplit("}", 1)[-1]


def _child(element: ET.Element | None, *path: str) -> ET.Element | None:
    for name in path:
        if element is None:
            return None
        element = next((c for c in element if _local(c.tag) == name), None)
    return element


def _text(element: ET.Element | None, *path: str) -> str:
    found = _child(element, *path)
    return (found.text or "").strip() if found is not None else ""


def _needs(pupil: ET.Element) -> list[str]:
    """The SEN types by rank (1 first), wherever the file puts <SENneeds>."""
    history = _child(pupil, "SENhistory")
    holder = _child(history, "SENneeds") or _child(history, "SEN", "SENneeds")
    ranked = []
    for need in holder if holder is not None else ():
        if _local(need.tag) != "SENneed":
            continue
        rank = _text(need, "SENtypeRank")
        ranked.append((int(rank) if rank.isdigit() else 99, _text(need, "SENtype")))
    return [kind for _, kind in sorted(ranked) if kind]


def _year(text: str, joining: dt.date, today: dt.date) -> str:
    """The year group the pupil joins in: a CTF says the year at the sending school, so a
    pupil joining in a later school year (Year 6 leavers in September) is a year on."""
    if not text or school_year(joining)[0] <= school_year(today)[0]:
        return text
    try:
        return year_after(text)
    except ValueError:
        return text  # the pupils importer says what is wrong with it, at its line


def _row(pupil: ET.Element, joining: dt.date, today: dt.date) -> dict[str, str]:
    needs = _needs(pupil)
    return {
        "UPN": _text(pupil, "UPN"),
        "Surname": _text(pupil, "Surname"),
        "Forename": _text(pupil, "Forename"),
        "DOB": _text(pupil, "DOB"),
        "NC Year Actual": _year(_text(pupil, "BasicDetails", "NCyearActual"), joining, today),
        "SEN Provision": _text(pupil, "SENhistory", "SEN", "SENprovision") or "N",
        "Primary Need": needs[0] if needs else "",
        "Secondary Need": needs[1] if len(needs) > 1 else "",
        "Admission Date": joining.isoformat(),
    }


def read_ctf(path: Path | str, joining: dt.date, today: dt.date | None = None) -> tuple[Table, str]:
    """The file's pupils as a roll joining on `joining` (in the year group they join in),
    and the sending school's name (from the header; '' when it does not say). Raises
    ImportRejected with a reason for a file that is not a CTF."""
    today = today or dt.date.today()
    path = Path(path)
    source = path.name
    check_file(path, source, "the CTF (.xml) file")
    data = read_limited(path, source)
    try:
        root = fromstring(data)  # the XML declaration (or a byte-order mark) says the encoding
    except DefusedXmlException:
        problem = RowError(
            0,
            "",
            "it declares XML entities, which a CTF never needs (refused: a way to make a "
            "small file fill memory)",
        )
        raise ImportRejected(source, [problem], whole_file=True) from None
    except (ET.ParseError, ValueError) as error:
        reason = getattr(error, "msg", None) or str(error) or type(error).__name__
        problem = RowError(_line(error), "", f"not a readable CTF (XML): {reason}")
        raise ImportRejected(source, [problem], whole_file=True) from None
    if _local(root.tag) != "CTfile":
        root_tag = _local(root.tag)
        problem = RowError(1, "", f"not a Common Transfer File: its root is <{root_tag}>")
        raise ImportRejected(source, [problem], whole_file=True)
    pupils = [p for p in _child(root, "CTFpupilData") or () if _local(p.tag) == "Pupil"]
    if not pupils:
        problem = RowError(0, "", "the CTF holds no pupils")
        raise ImportRejected(source, [problem], whole_file=True)
    lines = [data.count(b"\n", 0, match.start()) + 1 for match in _PUPIL_START.finditer(data)]
    rows = [
        SourceRow(lines[index] if index < len(lines) else 0, _row(pupil, joining, today))
        for index, pupil in enumerate(pupils)
    ]
    sender = _text(root, "Header", "SourceSchool", "SchoolName")
    return Table(source, list(HEADINGS), rows), sender


def _line(error: Exception) -> int:
    position = getattr(error, "position", None)
    return int(position[0]) if position else 0
