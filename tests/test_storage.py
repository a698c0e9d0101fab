"""Storage on both databases: idempotent update claims, saved conversations, transactions, binding."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from services.people import admin
from services.people.onboarding import (
    OWNER_CODE_TTL,
    STAFF_CODE_TTL,
    BindResult,
    RedeemResult,
    bind_by_contact,
    hash_code,
    issue_owner_code,
    redeem_code,
)
from storage.models import InvitationCode, Owner, Project
from storage.uow import UnitOfWork
from tests.conftest import NOW

UowFactory = Callable[[], UnitOfWork]
WANG = "+8613812341234"
LI = "+8613900001111"


async def _owner(uow_factory: UowFactory, phone: str = WANG, name: str = "王芳") -> int:
    async with uow_factory() as uow:
        owner = Owner(name=name, phone=phone, created_at=NOW, birthday_leap=False, blocked=False)
        uow.owners.add(owner)
        await uow.commit()
        return owner.id


async def _load_owner(uow_factory: UowFactory, phone: str = WANG) -> Owner:
    async with uow_factory() as uow:
        owner = await uow.owners.by_phone(phone)
        assert owner is not None
        uow.session.expunge(owner)  # keep its loaded state: leaving the unit of work rolls back and expires
        return owner


# ---------------------------------------------------------------- updates, chats, transactions


async def test_claim_update_once(uow_factory: UowFactory) -> None:
    async with uow_factory() as uow:
        assert await uow.updates.claim(1001, NOW) is True
        assert await uow.updates.claim(1001, NOW) is False
        assert await uow.updates.claim(1002, NOW) is True
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.updates.claim(1001, NOW + timedelta(seconds=5)) is False
        assert await uow.updates.claim(1002, NOW) is False
        assert await uow.updates.claim(2**40, NOW) is True  # Telegram update ids may exceed 32 bits
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.updates.claim(2**40, NOW) is False


async def test_uncommitted_claim_is_forgotten(uow_factory: UowFactory) -> None:
    async with uow_factory() as uow:
        assert await uow.updates.claim(7, NOW) is True
    async with uow_factory() as uow:
        assert await uow.updates.claim(7, NOW) is True


async def test_dialog_round_trips_json(uow_factory: UowFactory) -> None:
    dialog: dict[str, Any] = {
        "flow": "inquiry",
        "step": "text",
        "answers": {"text": "厨房漏水，请尽快处理！「急」", "units": [1, 2], "urgent": True, "note": None},
        "history": ["开始", "選擇單位"],
        "emoji": "🏠",
    }
    async with uow_factory() as uow:
        await uow.chats.save_dialog(5001, dialog, NOW)
        await uow.commit()
    async with uow_factory() as uow:
        chat = await uow.chats.get(5001)
        assert chat is not None
        assert chat.dialog == dialog
        assert chat.updated_at == NOW
        assert chat.locale is None
        await uow.chats.save_dialog(5001, {**dialog, "step": "photo"}, NOW + timedelta(minutes=1))
        await uow.flush()
        await uow.chats.save_dialog(5001, {"flow": "menu"}, NOW + timedelta(minutes=2))
        await uow.commit()
    async with uow_factory() as uow:
        chat = await uow.chats.get(5001)
        assert chat is not None and chat.dialog == {"flow": "menu"}
        await uow.chats.save_dialog(5001, None, NOW + timedelta(minutes=3))
        await uow.commit()
    async with uow_factory() as uow:
        chat = await uow.chats.get(5001)
        assert chat is not None and chat.dialog is None and chat.updated_at == NOW + timedelta(minutes=3)
        assert await uow.chats.get(5002) is None


async def test_unit_of_work_rolls_back_unless_committed(uow_factory: UowFactory) -> None:
    async with uow_factory() as uow:
        await admin.add_project(uow, "HY", "华苑", "CN", "Asia/Shanghai", NOW)
        await uow.chats.save_dialog(5001, {"flow": "menu"}, NOW)
        await uow.flush()
        assert await uow.projects.by_code("HY") is not None
    with pytest.raises(RuntimeError):
        async with uow_factory() as uow:
            await admin.add_project(uow, "HY", "华苑", "CN", "Asia/Shanghai", NOW)
            await uow.flush()
            raise RuntimeError("handler failed")
    async with uow_factory() as uow:
        assert await uow.projects.by_code("HY") is None
        assert await uow.chats.get(5001) is None
        assert list(await uow.session.scalars(select(Project))) == []


async def test_aware_datetimes_come_back_in_utc(uow_factory: UowFactory) -> None:
    from zoneinfo import ZoneInfo

    local = NOW.astimezone(ZoneInfo("Asia/Shanghai"))
    async with uow_factory() as uow:
        await uow.chats.save_dialog(1, {}, local)
        await uow.commit()
    async with uow_factory() as uow:
        chat = await uow.chats.get(1)
        assert chat is not None
        assert chat.updated_at == NOW and chat.updated_at.utcoffset() == timedelta(0)
        with pytest.raises(Exception, match="naive datetime"):
            await uow.chats.save_dialog(2, {}, NOW.replace(tzinfo=None))
            await uow.flush()


# ---------------------------------------------------------------- invitation codes


async def test_owner_code_binds_once(uow_factory: UowFactory) -> None:
    owner_id = await _owner(uow_factory)
    async with uow_factory() as uow:
        code = await issue_owner_code(uow, owner_id, NOW)
        await uow.commit()
    later = NOW + timedelta(hours=2)
    async with uow_factory() as uow:
        outcome = await redeem_code(uow, code=f" {code[:4].lower()} {code[4:]} ", user_id=7001, chat_id=7001,
                                    locale="zh_Hant_HK", now=later)
        assert (outcome.result, outcome.name) == (RedeemResult.OWNER, "王芳")
        await uow.commit()
    owner = await _load_owner(uow_factory)
    assert (owner.telegram_user_id, owner.chat_id, owner.bound_at, owner.locale) == (7001, 7001, later, "zh_Hant_HK")
    async with uow_factory() as uow:
        invitation = await uow.invitations.by_hash(hash_code(code))
        assert invitation is not None
        assert (invitation.used_at, invitation.used_by, invitation.kind) == (later, 7001, "owner")
        outcome = await redeem_code(uow, code=code, user_id=7001, chat_id=7001, locale="en", now=later)
        assert outcome.result is RedeemResult.INVALID
        outcome = await redeem_code(uow, code=code, user_id=7002, chat_id=7002, locale="en", now=later)
        assert outcome.result is RedeemResult.INVALID
        outcome = await redeem_code(uow, code="ABCDEFGH", user_id=7002, chat_id=7002, locale="en", now=later)
        assert outcome.result is RedeemResult.INVALID
        await uow.commit()
    owner = await _load_owner(uow_factory)
    assert owner.telegram_user_id == 7001


async def test_owner_code_expires(uow_factory: UowFactory) -> None:
    owner_id = await _owner(uow_factory)
    async with uow_factory() as uow:
        expired = await issue_owner_code(uow, owner_id, NOW)
        boundary = await issue_owner_code(uow, owner_id, NOW)
        last_second = await issue_owner_code(uow, owner_id, NOW)
        await uow.commit()
    async with uow_factory() as uow:
        outcome = await redeem_code(uow, code=expired, user_id=7001, chat_id=7001, locale="en",
                                    now=NOW + timedelta(days=15))
        assert outcome.result is RedeemResult.INVALID
        outcome = await redeem_code(uow, code=boundary, user_id=7001, chat_id=7001, locale="en",
                                    now=NOW + OWNER_CODE_TTL)
        assert outcome.result is RedeemResult.INVALID
        await uow.commit()
    assert (await _load_owner(uow_factory)).telegram_user_id is None
    async with uow_factory() as uow:
        outcome = await redeem_code(uow, code=last_second, user_id=7001, chat_id=7001, locale="en",
                                    now=NOW + OWNER_CODE_TTL - timedelta(seconds=1))
        assert outcome.result is RedeemResult.OWNER
        await uow.commit()
    assert (await _load_owner(uow_factory)).telegram_user_id == 7001


async def test_codes_are_stored_only_as_hashes(uow_factory: UowFactory) -> None:
    owner_id = await _owner(uow_factory)
    async with uow_factory() as uow:
        await admin.add_project(uow, "HY", "华苑", "CN", "Asia/Shanghai", NOW)
        owner_code = await issue_owner_code(uow, owner_id, NOW)
        staff_code = (await admin.add_staff(uow, name="张敏", department="customer_service", role="member",
                                            phone=None, project_code="HY", now=NOW)).code
        await uow.commit()
    async with uow_factory() as uow:
        rows = (await uow.session.execute(text("SELECT * FROM invitation_codes ORDER BY id"))).all()
    assert len(rows) == 2
    for row, code in zip(rows, (owner_code, staff_code), strict=True):
        assert row.code_hash == hash_code(code) and len(row.code_hash) == 64
        for value in row:
            assert code not in str(value)
            assert code.lower() not in str(value).lower()


async def test_staff_code_binds_and_deactivation_unbinds(uow_factory: UowFactory) -> None:
    async with uow_factory() as uow:
        await admin.add_project(uow, "HY", "华苑", "CN", "Asia/Shanghai", NOW)
        new = await admin.add_staff(uow, name="张敏", department="customer_service", role="member",
                                    phone="136 0000 0001", project_code="HY", now=NOW)
        staff_id = new.staff.id
        await uow.commit()
    assert new.staff.phone == "+8613600000001"
    async with uow_factory() as uow:
        outcome = await redeem_code(uow, code=new.code, user_id=8001, chat_id=8001, locale="zh_Hans_CN",
                                    now=NOW + STAFF_CODE_TTL - timedelta(minutes=1))
        assert (outcome.result, outcome.name) == (RedeemResult.STAFF, "张敏")
        await uow.commit()
    async with uow_factory() as uow:
        staff = await uow.staff.by_telegram_user(8001)
        assert staff is not None and staff.id == staff_id
        assert (staff.chat_id, staff.locale, staff.active) == (8001, "zh_Hans_CN", True)
        spare = await admin.new_staff_code(uow, staff_id, NOW)
        await uow.commit()
    async with uow_factory() as uow:
        await admin.deactivate_staff(uow, staff_id)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.staff.by_telegram_user(8001) is None
        staff = await uow.staff.get(staff_id)
        assert staff is not None
        assert (staff.active, staff.telegram_user_id, staff.chat_id) == (False, None, None)
        outcome = await redeem_code(uow, code=spare, user_id=8001, chat_id=8001, locale="en", now=NOW)
        assert outcome.result is RedeemResult.INVALID
        with pytest.raises(admin.AdminError):
            await admin.new_staff_code(uow, staff_id, NOW)
        with pytest.raises(admin.AdminError):
            await admin.deactivate_staff(uow, staff_id + 100)


async def test_staff_code_expires(uow_factory: UowFactory) -> None:
    async with uow_factory() as uow:
        new = await admin.add_staff(uow, name="赵工", department="engineering", role="member", phone=None,
                                    project_code=None, now=NOW)
        await uow.commit()
    async with uow_factory() as uow:
        outcome = await redeem_code(uow, code=new.code, user_id=8001, chat_id=8001, locale="en",
                                    now=NOW + STAFF_CODE_TTL)
        assert outcome.result is RedeemResult.INVALID


async def test_owner_code_refused_to_an_account_bound_elsewhere(uow_factory: UowFactory) -> None:
    wang_id = await _owner(uow_factory)
    li_id = await _owner(uow_factory, LI, "李伟")
    async with uow_factory() as uow:
        await uow.session.execute(
            text("UPDATE owners SET telegram_user_id = 7001, chat_id = 7001 WHERE id = :id"), {"id": wang_id})
        code = await issue_owner_code(uow, li_id, NOW)
        await uow.commit()
    async with uow_factory() as uow:
        outcome = await redeem_code(uow, code=code, user_id=7001, chat_id=7001, locale="en", now=NOW)
        assert outcome.result is RedeemResult.ALREADY_BOUND
        # ...but the code stays usable for the right person.
        outcome = await redeem_code(uow, code=code, user_id=7002, chat_id=7002, locale="en", now=NOW)
        assert outcome.result is RedeemResult.OWNER
        await uow.commit()
    assert (await _load_owner(uow_factory, LI)).telegram_user_id == 7002


async def test_owner_code_moves_the_record_to_a_new_account(uow_factory: UowFactory) -> None:
    owner_id = await _owner(uow_factory)
    async with uow_factory() as uow:
        first = await issue_owner_code(uow, owner_id, NOW)
        second = await issue_owner_code(uow, owner_id, NOW)
        await uow.commit()
    async with uow_factory() as uow:
        assert (await redeem_code(uow, code=first, user_id=7001, chat_id=7001, locale="en", now=NOW)).result is (
            RedeemResult.OWNER)
        await uow.commit()
    async with uow_factory() as uow:  # a lost phone: staff issue a new code for the new account
        assert (await redeem_code(uow, code=second, user_id=7009, chat_id=7009, locale="en", now=NOW)).result is (
            RedeemResult.OWNER)
        await uow.commit()
    owner = await _load_owner(uow_factory)
    assert (owner.telegram_user_id, owner.chat_id) == (7009, 7009)
    async with uow_factory() as uow:
        count = await uow.session.scalar(select(InvitationCode.id).where(InvitationCode.used_at.is_(None)))
        assert count is None  # both codes used


# ---------------------------------------------------------------- binding by shared contact


async def _contact(uow_factory: UowFactory, user_id: int, phone: str, contact_user_id: int | None) -> BindResult:
    async with uow_factory() as uow:
        outcome = await bind_by_contact(uow, user_id=user_id, chat_id=user_id + 100000, contact_phone=phone,
                                        contact_user_id=contact_user_id, locale="zh_Hans_CN", now=NOW)
        await uow.commit()
        assert isinstance(outcome.result, BindResult)
        if outcome.result is BindResult.BOUND:
            assert outcome.name is not None
        return outcome.result


async def test_bind_by_contact(uow_factory: UowFactory) -> None:
    await _owner(uow_factory)
    await _owner(uow_factory, LI, "李伟")

    assert await _contact(uow_factory, 7001, "+86 138 1234 1234", contact_user_id=9999) is BindResult.NOT_OWN_CONTACT
    assert await _contact(uow_factory, 7001, WANG, contact_user_id=None) is BindResult.NOT_OWN_CONTACT
    assert (await _load_owner(uow_factory)).telegram_user_id is None

    assert await _contact(uow_factory, 7001, "8613700000000", contact_user_id=7001) is BindResult.NOT_FOUND
    assert await _contact(uow_factory, 7001, "12345", contact_user_id=7001) is BindResult.INVALID_PHONE

    assert await _contact(uow_factory, 7001, "8613812341234", contact_user_id=7001) is BindResult.BOUND
    owner = await _load_owner(uow_factory)
    assert (owner.telegram_user_id, owner.chat_id, owner.bound_at, owner.locale) == (7001, 107001, NOW, "zh_Hans_CN")

    assert await _contact(uow_factory, 7001, WANG, contact_user_id=7001) is BindResult.ALREADY_BOUND
    assert await _contact(uow_factory, 7001, LI, contact_user_id=7001) is BindResult.ALREADY_BOUND
    assert await _contact(uow_factory, 7002, WANG, contact_user_id=7002) is BindResult.TAKEN
    assert (await _load_owner(uow_factory)).telegram_user_id == 7001
    assert await _contact(uow_factory, 7002, LI, contact_user_id=7002) is BindResult.BOUND
    assert (await _load_owner(uow_factory, LI)).telegram_user_id == 7002


async def test_bound_staff_cannot_bind_as_owner_by_contact(uow_factory: UowFactory) -> None:
    await _owner(uow_factory)
    async with uow_factory() as uow:
        new = await admin.add_staff(uow, name="张敏", department="customer_service", role="member", phone=None,
                                    project_code=None, now=NOW)
        await uow.commit()
    async with uow_factory() as uow:
        assert (await redeem_code(uow, code=new.code, user_id=8001, chat_id=8001, locale="en", now=NOW)).result is (
            RedeemResult.STAFF)
        await uow.commit()
    assert await _contact(uow_factory, 8001, WANG, contact_user_id=8001) is BindResult.ALREADY_BOUND
