
from ninja import Field, Schema
from pydantic import ConfigDict

from fulian.people.models import MemberSex, Relation

from .schemas import enum_of
from .schemas_people import Id


class FamilyMemberOut(Schema):
    id: int
    woman_id: int | None = Field(description="her registry record; null for a man or a child")
    name: str
    relation: enum_of(Relation)
    sex: enum_of(MemberSex)
    birth_year: int | None


class FamilyOut(Schema):
    id: int
    name: str
    unit_id: int
    unit_code: str
    unit_name: str
    address: str
    phone: str
    version: int = Field(description="send back unchanged with PUT; a newer version on the server means 409")
    members: list[FamilyMemberOut]

    @staticmethod
    def resolve_unit_code(obj) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_members(obj):
        from fulian.people.families import members_of

        return members_of(obj)


class FamilyIn(Schema):
    name: str = Field(min_length=1, max_length=60, description="e.g. 张秀英家")
    unit_code: str = Field(max_length=24, description="12-digit code of its village/community in your scope")
    address: str = Field("", max_length=200)
    phone: str = Field("", max_length=20)
    woman_id: Id | None = Field(None, description="a registry woman who is its first member")
    relation: enum_of(Relation) = Field(Relation.HEAD, description="her relation to the head (with woman_id)")
    client_token: str | None = Field(None, max_length=40, description="resend the same token: one family only")


class FamilyUpdateIn(Schema):
    name: str = Field(min_length=1, max_length=60)
    unit_code: str = Field(max_length=24)
    address: str = Field("", max_length=200)
    phone: str = Field("", max_length=20)
    version: int


class FamilyMemberIn(Schema):
    """A registry woman by `woman_id`, or a man or a child by name, sex and birth year. Nothing else is accepted:
    the registry keeps no ID number of men and children (an `id_number` field is refused, 422)."""

    model_config = ConfigDict(extra="forbid")

    relation: enum_of(Relation)
    woman_id: Id | None = None
    name: str = Field("", max_length=30)
    sex: enum_of(MemberSex, blank=True) = ""
    birth_year: int | None = Field(None, ge=1900, le=2100)
