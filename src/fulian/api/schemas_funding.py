"""Request and answer shapes of the funding API (经费保障). Every name starts with Funding: a schema's name is its key
in the OpenAPI components, unique across the whole API.

Money goes out as a string of yuan with two decimals ("1234.50"), never a float: amounts are exact. Money comes in
as such a string (a JSON number is read as written: 0.1 is 0.1, 1.005 is refused as finer than a fen)."""

import datetime as dt
from typing import Annotated

from ninja import Field, Schema
from pydantic import StrictFloat

from fulian.funding.models import Basis, EntryKind, LinkKind, Purpose, Source

from .schemas import enum_of

Id = Annotated[int, Field(ge=1, le=2**53)]
Token = Field(None, max_length=64, description="the same token again returns the first record (a double submit)")
Year = Annotated[int, Field(ge=2000, le=2100)]
# a string is read exactly; a number is read as written (its shortest repr); either way at most two decimals
MoneyIn = Annotated[str, Field(max_length=30)] | StrictFloat  # strict: `true` is not 1 yuan
Money = Annotated[str, Field(description="yuan with two decimals, e.g. \"1234.50\"", examples=["1234.50"])]
PercentIn = Annotated[str, Field(max_length=10)] | StrictFloat


class FundingUnitRefOut(Schema):
    id: int
    code: str = Field(description="12-digit statistical division code")
    name: str
    level: int = Field(description="1 province, 2 city, 3 county, 4 township, 5 village/community")


# --- the year of a unit -----------------------------------------------------------------------------------------

class FundingSourceAmountOut(Schema):
    source: enum_of(Source)
    label: str
    amount: Money


class FundingPurposeAmountOut(Schema):
    purpose: enum_of(Purpose)
    label: str
    amount: Money


class FundingOwnOut(Schema):
    received: Money = Field(description="its own ledger's receipts in the year")
    passed: Money = Field(description="passed on to units below in the year")
    spent: Money
    balance: Money = Field(description="received less passed on and spent, over its whole ledger to the year's end")
    by_source: list[FundingSourceAmountOut]


class FundingSubtreeOut(Schema):
    received: Money = Field(description="received by every unit of its subtree (itself included)")
    villages_received: Money = Field(description="received by the village federations of its subtree")
    passed: Money
    spent: Money
    by_source: list[FundingSourceAmountOut]
    by_purpose: list[FundingPurposeAmountOut]
    village_share: float | None = Field(description="村级到达率: money that reached its villages ÷ what it split "
                                                     "down (a fraction; null when it split nothing down)")
    villages: int = Field(description="village federations under it")
    villages_reached: int = Field(description="of them, those that received money from above in the year")
    villages_without: int


class FundingChildOut(Schema):
    unit: FundingUnitRefOut
    allocated: Money = Field(description="what this unit allocated to the child in the year")
    villages_received: Money
    spent: Money
    split_down: Money = Field(description="what the child split down in the year")
    village_share: float | None
    villages: int
    villages_reached: int
    villages_without: int


class FundingSummaryOut(Schema):
    unit: FundingUnitRefOut
    year: int
    own: FundingOwnOut
    allocated: Money = Field(description="what the unit split down in the year (its allocations and cascades)")
    subtree: FundingSubtreeOut
    children: list[FundingChildOut]


# --- the ledger -------------------------------------------------------------------------------------------------

class FundingEntryOut(Schema):
    id: int
    unit: FundingUnitRefOut
    kind: enum_of(EntryKind)
    kind_label: str
    on_date: dt.date
    amount: Money = Field(description="negative on a reversal (冲销)")
    source: enum_of(Source, blank=True) = Field(description="receipts: where the money came from")
    purpose: enum_of(Purpose, blank=True) = Field(description="expenses: what it was spent on")
    other_unit: FundingUnitRefOut | None = Field(description="a receipt from above: the payer; a disbursement: the "
                                                             "unit paid")
    payer: str = Field(description="a receipt from outside the federation: who paid")
    share_id: int | None = Field(description="the allocated share it pays or receives")
    allocation_root_id: int | None = Field(description="the allocation its cascade started with")
    disbursement_id: int | None = Field(description="a receipt: the disbursement it confirms")
    reverses_id: int | None = Field(description="a reversal: the line it takes back")
    replaces_id: int | None = Field(description="a correction: the line it puts right")
    link_kind: enum_of(LinkKind, blank=True)
    link_id: int | None
    link_title: str
    has_file: bool = Field(description="an expense with a receipt file (see it on the page)")
    note: str
    warning: str = Field(description="recorded, not refused: e.g. spent more than received")
    created_at: dt.datetime


class FundingReceiptIn(Schema):
    on_date: dt.date = Field(description="not after today")
    amount: MoneyIn = Field(description="yuan, at most two decimals, more than zero")
    source: enum_of(Source)
    payer: str = Field("", max_length=100, description="who paid, for a source other than parent")
    note: str = Field("", max_length=300)
    share_id: Id | None = Field(None, description="source parent: the share allocated to this unit it pays")
    client_token: str | None = Token


class FundingExpenseIn(Schema):
    on_date: dt.date = Field(description="not after today")
    amount: MoneyIn = Field(description="yuan, at most two decimals, more than zero")
    purpose: enum_of(Purpose)
    note: str = Field("", max_length=300, description="required when purpose is other")
    link_kind: enum_of(LinkKind, blank=True) = Field("", description="link the expense to an activity, project or "
                                                                     "help plan")
    link_id: Id | None = None
    client_token: str | None = Token


class FundingDisbursementIn(Schema):
    to_unit_id: Id = Field(description="a unit below this one")
    on_date: dt.date = Field(description="not after today")
    amount: MoneyIn = Field(description="yuan, at most two decimals, more than zero")
    note: str = Field("", max_length=300)
    share_id: Id | None = Field(None, description="the to-unit's allocated share this pays, if any")
    client_token: str | None = Token


class FundingCorrectIn(Schema):
    reason: str = Field(min_length=1, max_length=300, description="更正原因")
    amount: MoneyIn | None = Field(None, description="the right amount: posted as a new line beside the reversal; "
                                                     "omit to take the line back only")
    on_date: dt.date | None = Field(None, description="the right date of the new line (default: the original's)")


class FundingCorrectOut(Schema):
    reversal: FundingEntryOut
    replacement: FundingEntryOut | None


class FundingConfirmIn(Schema):
    on_date: dt.date = Field(description="到账日期: not before the disbursement, not after today")
    note: str = Field("", max_length=300)


# --- allocations ------------------------------------------------------------------------------------------------

class FundingRuleIn(Schema):
    year: Year | None = Field(None, description="default this year; a split-on takes its share's year")
    amount: MoneyIn | None = Field(None, description="what is split (yuan); not for a split-on; optional for "
                                                     "basis fixed (per_village × villages)")
    basis: enum_of(Basis)
    target_level: int | None = Field(None, ge=1, le=5, description="split down to this level (default the level "
                                                                   "below)")
    per_village: MoneyIn | None = Field(None, description="basis fixed: yuan per village federation")
    floor_per_village: MoneyIn | None = Field(None, description="given to every village first (保底)")
    care_weight: PercentIn | None = Field(None, description="per-head bases: a woman in care counts 1 + this")
    level_keep: dict[int, PercentIn] = Field({}, description="level between → percent it keeps (留用), e.g. "
                                                             "{\"4\": \"5\"}")
    min_village_share: PercentIn | None = Field(None, description="percent that must reach village level; a plan "
                                                                  "that leaves less is refused")
    from_share_id: Id | None = Field(None, description="split on a share allocated to this unit")
    kept: MoneyIn | None = Field(None, description="a split-on: what this unit keeps of the share")


class FundingAllocationIn(FundingRuleIn):
    title: str = Field(min_length=1, max_length=100)
    pay_by: dt.date = Field(description="拨付期限: the dispatch's deadline, not before today")
    client_token: str | None = Token


class FundingPlanShareOut(Schema):
    unit_id: int
    unit_name: str
    level: int
    parent_unit_id: int | None = Field(description="null for a child of the splitting unit")
    amount: Money
    kept: Money = Field(description="a unit in between: what it keeps at its level")
    villages: int
    weight: float = Field(description="its score under the rule (heads, villages …)")


class FundingPlanLevelOut(Schema):
    level: int
    units: int
    amount: Money
    kept: Money


class FundingPlanOut(Schema):
    unit_id: int
    year: int
    basis: enum_of(Basis)
    target_level: int
    amount: Money = Field(description="what is split")
    kept: Money = Field(description="a split-on: what the unit keeps of its share")
    village_share: float | None = Field(description="of the cascade root's money, the part this plan brings to its "
                                                    "target level (village level when it splits to the villages)")
    levels: list[FundingPlanLevelOut]
    shares: list[FundingPlanShareOut] = Field(description="every unit of the plan, parents first, in tree order "
                                                          "(at most 1000: see shares_total)")
    shares_total: int


class FundingProgressTopOut(Schema):
    amount: Money
    paid: Money
    received: Money


class FundingProgressLeavesOut(Schema):
    amount: Money
    received: Money
    units: int
    nothing: int = Field(description="target-level units that have received nothing of it")


class FundingProgressOut(Schema):
    top: FundingProgressTopOut = Field(description="the shares of the splitting unit's children")
    leaves: FundingProgressLeavesOut = Field(description="the shares of the target level")


class FundingAllocationOut(Schema):
    id: int
    unit: FundingUnitRefOut
    year: int
    title: str
    amount: Money
    kept: Money
    basis: enum_of(Basis)
    basis_label: str
    target_level: int
    per_village: Money | None
    floor_per_village: Money
    care_weight: str
    level_keep: dict[str, str] = Field(description="level → percent kept there")
    min_village_share: str | None
    village_share: float | None = Field(description="planned share reaching village level")
    root_id: int | None = Field(description="the allocation its cascade started with (null: it is the root)")
    from_share_id: int | None
    dispatch_id: int
    created_at: dt.datetime


class FundingAllocationDetailOut(FundingAllocationOut):
    progress: FundingProgressOut


class FundingShareOut(Schema):
    id: int
    allocation_id: int
    unit: FundingUnitRefOut
    level: int
    parent_id: int | None = Field(description="the share above it in a cascade")
    amount: Money
    kept: Money
    paid: Money = Field(description="passed on to it so far")
    received: Money = Field(description="it confirmed so far")
    reach: float = Field(description="the fraction of the cascade root's money in it that no level above kept")
    has_below: bool = Field(description="a unit in between: its own units' shares are listed with under=this id")


class FundingPayIn(Schema):
    unit_id: Id = Field(description="the paying unit: the allocating unit, or a unit in between of its cascade")
    on_date: dt.date


class FundingPayOut(Schema):
    lines: int = Field(description="disbursements posted (0 when everything was paid already)")


class FundingPopulationIn(Schema):
    year: Year
    population: int = Field(ge=0, le=200_000_000)


class FundingPopulationOut(Schema):
    unit_id: int
    year: int
    population: int
