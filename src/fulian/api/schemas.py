from typing import Literal

from ninja import Field, Schema

from fulian.core.certificates import certificate_code
from fulian.core.policy import Role
from fulian.orgs.models import Conversion, Kind, Level, SourceStatus


def enum_of(text_choices, *, blank: bool = False):
    """A model's TextChoices as the schema's enum (a Literal: values stay plain strings for the services); `blank`
    adds "" for a field that may be left empty."""
    return Literal[tuple(text_choices.values) + (("",) if blank else ())]


class UnitOut(Schema):
    id: int
    code: str = Field(description="12-digit statistical division code; organisations: parent code + '-NNNN'")
    name: str
    level: Literal[tuple(Level.values)] = Field(description="1 province, 2 city, 3 county, 4 township, "
                                                            "5 village/community")
    level_label: str
    kind: enum_of(Kind) = Field(description="geo, new_org or agency")
    parent_id: int | None
    conversion: enum_of(Conversion) = Field(description="village only: congress (妇代会) or federation (已改建妇联); "
                                                        "else na")
    source_status: enum_of(SourceStatus)

    @staticmethod
    def resolve_level_label(obj) -> str:
        return str(obj.get_level_display())


class UnitChildOut(UnitOut):
    unit_count: int = Field(description="units under this child (itself excluded)")
    village_count: int


class LevelCountOut(Schema):
    level: int
    label: str
    count: int


class UnitSummaryOut(Schema):
    levels: list[LevelCountOut] = Field(description="geographic units under it, by level")
    villages: int
    villages_converted: int
    conversion_rate: float | None = Field(description="share of villages converted (改建率); null = no villages")
    organisations: int = Field(description="women's organisations of new organisations and agencies under it")


class UnitDetailOut(UnitOut):
    ancestors: list[UnitOut]
    summary: UnitSummaryOut


class OrganisationIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    kind: Literal["new_org", "agency"] = Field("new_org", description="new_org (两新组织妇女组织) or agency "
                                                                       "(机关事业单位妇委会)")


class ConversionIn(Schema):
    conversion: Literal["congress", "federation"] = Field(description="congress or federation")


class MeOut(Schema):
    username: str
    full_name: str
    roles: list[enum_of(Role)]
    unit: UnitOut | None
    is_superuser: bool


class ErrorOut(Schema):
    """Every refusal (4xx, 503) has this shape, whichever layer answers it."""

    detail: str = Field(description="what went wrong, in words a person can read")
    errors: dict[str, list[str]] | None = Field(
        None, description="per field (422, and 400 on a woman's record): field → messages; a nested field is "
                          "dotted (`needs.0.category`)")
    existing_id: int | None = Field(None, description="409 on a duplicate woman: her record's id, when in your scope")


def certificate_out(request, certificate) -> dict | None:
    """A certificate as the API shows it (activities' completions, family awards): number, the signed code and the
    public link that verifies it."""
    if certificate is None:
        return None
    code = certificate_code(certificate)
    return {"number": certificate.number, "code": code, "verify_url": request.build_absolute_uri(f"/verify/{code}/"),
            "holder": certificate.holder, "title": certificate.title, "unit_name": certificate.unit_name,
            "issued_at": certificate.issued_at, "is_valid": certificate.revoked_at is None}
