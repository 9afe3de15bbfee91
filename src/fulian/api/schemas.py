from ninja import Field, Schema


class UnitOut(Schema):
    id: int
    code: str = Field(description="12-digit statistical division code; organisations: parent code + '-NNNN'")
    name: str
    level: int = Field(description="1 province, 2 city, 3 county, 4 township, 5 village/community")
    level_label: str
    kind: str = Field(description="geo, new_org or agency")
    parent_id: int | None
    conversion: str = Field(description="village only: congress (妇代会) or federation (已改建妇联); else na")
    source_status: str

    @staticmethod
    def resolve_level_label(obj) -> str:
        return str(obj.get_level_display())


class UnitChildOut(UnitOut):
    unit_count: int = Field(description="units under this child (itself excluded)")
    village_count: int


class UnitDetailOut(UnitOut):
    ancestors: list[UnitOut]
    summary: dict


class OrganisationIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    kind: str = Field("new_org", description="new_org (两新组织妇女组织) or agency (机关事业单位妇委会)")


class ConversionIn(Schema):
    conversion: str = Field(description="congress or federation")


class MeOut(Schema):
    username: str
    full_name: str
    roles: list[str]
    unit: UnitOut | None
    is_superuser: bool


class ErrorOut(Schema):
    detail: str
