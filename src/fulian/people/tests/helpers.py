import io

from openpyxl import Workbook, load_workbook

from fulian.core.idnumber import check_char
from fulian.people.importing import COLUMNS

HEADER = [c.title for c in COLUMNS]


def female_id(n: int, region="130123", birth="19900307") -> str:
    """A valid female ID number; n (0–499) picks the sequence."""
    first17 = region + birth + f"{2 * n:03d}"
    return first17 + check_char(first17)


def male_id(region="130123", birth="19900307") -> str:
    first17 = region + birth + "003"
    return first17 + check_char(first17)


def row(name="张秀英", id_number=None, phone="13812345678", unit_code="130123100001", ethnicity="汉族",
        occupation="农民", tags="留守", consent_purpose="妇联联系服务", consent_on="2026-03-08"):
    return [name, id_number if id_number is not None else female_id(1), phone, unit_code, ethnicity, occupation,
            tags, consent_purpose, consent_on]


def roster_bytes(rows, header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def read_xlsx(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content), read_only=True).worksheets[0].iter_rows(values_only=True))
