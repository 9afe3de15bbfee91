import datetime as dt

from ninja import Field, Schema

from .schemas_people import Id


class SupervisionTeamIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    member_ids: list[Id] = Field(min_length=1, max_length=100, description="cadres of the team's unit or above")
    region_ids: list[Id] = Field(min_length=1, max_length=100, description="units below the team's unit (包片)")
    unit_id: Id | None = Field(None, description="the team's unit; default yours")


class SupervisionRegionOut(Schema):
    id: int
    name: str


class SupervisionMemberOut(Schema):
    id: int
    username: str
    full_name: str
    unit_id: int | None


class SupervisionTeamOut(Schema):
    id: int
    name: str
    unit_id: int
    created_at: dt.datetime
    members: list[SupervisionMemberOut]
    regions: list[SupervisionRegionOut]

    @staticmethod
    def resolve_members(obj):
        return list(obj.members.all())

    @staticmethod
    def resolve_regions(obj):
        return list(obj.regions.all())


class SupervisionFindingIn(Schema):
    text: str = Field(min_length=1, max_length=2000)
    due_on: dt.date = Field(description="the rectification deadline (end of that day)")


class SupervisionVisitIn(Schema):
    unit_id: Id = Field(description="the visited unit: one of the team's regions or a unit inside one")
    visited_on: dt.date
    places: str = Field("", max_length=2000)
    summary: str = Field("", max_length=2000)
    checked_ids: list[Id] = Field([], max_length=200, description="task copies (recipient ids) checked on the visit "
                                                                  "(GET /supervision/units/{unit_id}/tasks)")
    findings: list[SupervisionFindingIn] = Field([], max_length=20)
    client_token: str | None = Field(None, max_length=40, description="resend the same token: one visit only")


class RectificationOut(Schema):
    id: int = Field(description="the rectification item (整改事项) id")
    finding: str
    unit_id: int
    unit_name: str
    team_id: int
    visit_id: int
    deadline: dt.datetime
    state: str
    done: bool
    late: bool
    done_at: dt.datetime | None
    note: str
    version: int


class SupervisionVisitOut(Schema):
    id: int
    team_id: int
    unit_id: int
    visited_on: dt.date
    places: str
    summary: str
    checked_ids: list[int]
    rectifications: list[RectificationOut]


class SupervisionRegionItemsOut(Schema):
    region_id: int
    region_name: str
    open: int
    late: int
    done: int
    items: list[RectificationOut]


class SupervisionTaskOut(Schema):
    recipient_id: int
    task_id: int
    title: str
    unit_id: int
    unit_name: str
    state: str
    deadline: dt.datetime
    late: bool
    reported: bool


class RectificationCloseIn(Schema):
    note: str = Field(min_length=1, max_length=2000)
    version: int | None = Field(None, description="the item's version you saw: a stale one answers 409")
