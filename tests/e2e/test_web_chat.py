"""The sandbox's web chat in headless Chromium: an owner files a complaint, staff accept it.

Needs Debian's chromium and chromium-driver (`.ci/run` installs them); skipped without them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from aiohttp import web

from bot.sandbox.demo import seed_demo, staff_user_id
from bot.sandbox.web import ChatPage
from tests.e2e.test_complaints import file_complaint
from tests.harness import BotHarness

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
needs_browser = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="needs chromium and chromium-driver")


def _chrome(tmp_path: Path) -> WebDriver:
    """Headless Chromium through Debian's chromedriver, in a profile of its own."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,900", f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


@pytest.fixture
async def page_url(harness: BotHarness) -> AsyncIterator[str]:
    async with harness.uow() as uow:
        assert await seed_demo(uow, harness.clock.now())
        await uow.commit()

    async def clock_moved() -> None:
        await harness.settle()

    page = ChatPage(harness.emulator, harness.clock, clock_moved, "Asia/Shanghai")
    runner = web.AppRunner(page.app())
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}/"
    await runner.cleanup()


async def test_the_demo_is_seeded_once_and_the_clock_control_moves_the_services_clock(
    page_url: str, harness: BotHarness
) -> None:
    from datetime import timedelta

    from aiohttp import ClientSession

    async with harness.uow() as uow:
        assert not await seed_demo(uow, harness.clock.now())  # already there: nothing added
        assert len(await uow.staff.all()) == 14
        departments = {s.department for s in await uow.staff.all()}
        assert departments == {"customer_service", "quality", "engineering", "materials", "finance", "repair",
                               "office", "leadership", "builder"}
        # The owners' consents as collected on paper, once: every kind but 周强's surveys.
        from bot.sandbox.demo import seed_demo_consents
        from services.care.consent import ConsentKind, current

        assert await seed_demo_consents(uow, harness.clock.now())
        assert not await seed_demo_consents(uow, harness.clock.now())
        zhou, wang = await uow.owners.by_phone("+8613812340009"), await uow.owners.by_phone("+8613812340001")
        assert zhou is not None and wang is not None
        assert (await current(uow, zhou.id))[ConsentKind.SURVEYS] is False
        assert set((await current(uow, wang.id)).values()) == {True}
        # Two signed no form, so the questions can be seen: 吴敏 (not bound) is asked when she links her
        # chat; 张静 linked hers before consent was asked, so the one-time question reaches her.
        from services.care.consent_ask import ASKED_AFTER_BINDING_SINCE

        wu, zhang = await uow.owners.by_phone("+8613812340011"), await uow.owners.by_phone("+8613812340003")
        assert wu is not None and zhang is not None and wu.bound_at is None
        assert set((await current(uow, wu.id)).values()) == set((await current(uow, zhang.id)).values()) == {None}
        assert zhang.bound_at is not None and zhang.bound_at < ASKED_AFTER_BINDING_SINCE
    before = harness.clock.now()
    async with ClientSession() as http:
        async with http.get(page_url + "api/personas") as response:
            people = await response.json()
        assert [p["kind"] for p in people].count("owner") == 12 and people[-1]["kind"] == "visitor"
        async with http.get(page_url) as response:
            page = await response.text()
            # Everything is inline: no external script, stylesheet, font or image.
            assert "<script src" not in page and "<link" not in page and "@import" not in page
            assert "url(" not in page and 'src="http' not in page
        async with http.post(page_url + "api/clock", json={"days": 2, "hours": 3}) as response:
            assert response.status == 200
            assert (await response.json())["now"].startswith("2026-11-25 13:00")
        async with http.post(page_url + "api/clock", json={"days": -1}) as response:
            assert response.status == 400
    assert harness.clock.now() - before == timedelta(days=2, hours=3)


async def test_the_page_shows_the_demo_clock_its_working_hours_and_moves_to_the_next_working_morning(
    page_url: str, harness: BotHarness
) -> None:
    """Issue 12, item 16: at night staff see nothing (pushes wait for 09:00–20:00): the page says so and
    moves the clock to the next working morning in one step."""
    from datetime import UTC, datetime

    from aiohttp import ClientSession

    harness.clock.set(datetime(2026, 9, 30, 14, 30, tzinfo=UTC))  # 22:30 on the eve of 国庆 in Shanghai
    async with ClientSession() as http:
        async with http.get(page_url + "api/clock") as response:
            clock = await response.json()
        assert (clock["now"], clock["working"]) == ("2026-09-30 22:30 Wed", False)
        async with http.post(page_url + "api/clock", json={"to": "next_working_morning"}) as response:
            clock = await response.json()
        # 1–7 October are the National Day holiday: the next working morning is the 8th.
        assert (clock["now"], clock["working"]) == ("2026-10-08 09:00 Thu", True)
        async with http.post(page_url + "api/clock", json={"hours": 1}) as response:
            assert (await response.json())["now"] == "2026-10-08 10:00 Thu"
        async with http.get(page_url) as response:
            page = await response.text()
        assert "下个工作日 09:00" in page and "+1 小时" in page and 'id="off-hours"' in page


async def test_the_bots_answer_to_a_press_reaches_the_page(page_url: str, harness: BotHarness) -> None:
    """Issue 12, item 15: a refused press is answered with an alert (answerCallbackQuery, show_alert); the
    page gets it with the press's update id, to show it as Telegram does."""
    from aiohttp import ClientSession

    owner = 1001
    async with ClientSession() as http:
        await http.post(page_url + f"api/chats/{owner}/text", json={"text": "/menu"})
        await harness.settle()
        menu = harness.emulator.last_bot_message(owner)
        async with http.post(page_url + f"api/chats/{owner}/press",
                             json={"message_id": menu["message_id"], "data": "x9:forged"}) as response:
            update_id = (await response.json())["update_id"]
        await harness.settle()
        async with http.get(page_url + f"api/chats/{owner}") as response:
            answers = (await response.json())["answers"]
        async with http.get(page_url + f"api/chats/{staff_user_id(0)}") as response:
            assert (await response.json())["answers"] == []  # only the presser's own
    assert answers == [{"update_id": update_id, "text": "该按钮无效。", "show_alert": True}]


@needs_browser
async def test_owner_files_a_complaint_and_staff_accept_it_in_the_browser(
    page_url: str, harness: BotHarness, tmp_path: Path
) -> None:
    import asyncio

    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webelement import WebElement
    from selenium.webdriver.support.ui import Select, WebDriverWait

    driver = await asyncio.to_thread(_chrome, tmp_path)

    async def run(action: Callable[[], object]) -> object:
        return await asyncio.to_thread(action)

    def pane(user: int) -> WebElement:
        return driver.find_element(By.CSS_SELECTOR, f'section.pane[data-user="{user}"]')

    def wait_text(user: int, text: str) -> None:
        WebDriverWait(driver, 20).until(lambda d: text in pane(user).find_element(By.CLASS_NAME, "log").text)

    def click_button(user: int, label: str) -> None:
        # The page redraws a chat when a message arrives: find and click in one go, retrying.
        def press(d: object) -> bool:
            buttons = pane(user).find_elements(By.CSS_SELECTOR, ".inline button")
            matching = [b for b in buttons if label in b.text]
            if not matching:
                return False
            matching[-1].click()
            return True

        WebDriverWait(driver, 20, ignored_exceptions=[StaleElementReferenceException]).until(press)

    def say(user: int, text: str) -> None:
        box = pane(user).find_element(By.CSS_SELECTOR, ".composer input[type=text]")
        box.send_keys(text)
        pane(user).find_element(By.CSS_SELECTOR, ".composer button[type=submit]").click()

    def open_chat(user: int) -> None:
        Select(driver.find_element(By.ID, "persona")).select_by_value(str(user))
        driver.find_element(By.ID, "open").click()
        WebDriverWait(driver, 10).until(lambda d: pane(user))

    owner, staff = 1001, staff_user_id(2)  # 王芳 and 钱质检 (质管部)
    try:
        await run(lambda: driver.get(page_url))
        await run(lambda: open_chat(owner))
        await run(lambda: open_chat(staff))
        await run(lambda: say(owner, "/menu"))
        await run(lambda: click_button(owner, "投诉"))
        await run(lambda: wait_text(owner, "请问您要投诉哪方面的问题"))
        await run(lambda: click_button(owner, "服务态度"))
        await run(lambda: wait_text(owner, "请描述具体情况"))
        await run(lambda: say(owner, "地下车库照明坏了一周，没人处理。"))
        # Each answer, then the question it leads to.
        for label, next_question in (("跳过", "我们可以通过哪个电话联系您"), ("使用 13812340001", "您希望何时解决"),
                                     ("跳过", "请核对您的投诉并确认"), ("确认", "您的投诉已登记，编号为 TS-")):
            await asyncio.to_thread(click_button, owner, label)
            await asyncio.to_thread(wait_text, owner, next_question)
        await run(lambda: wait_text(staff, "本部门有新投诉"))
        await run(lambda: wait_text(staff, "138****0001"))
        await run(lambda: click_button(staff, "受理"))
        await run(lambda: wait_text(staff, "您已受理 TS-"))
        await run(lambda: wait_text(owner, "已由质管部受理"))
        owner_log = await run(lambda: pane(owner).find_element(By.CLASS_NAME, "log").text)
        assert "地下车库照明坏了一周" in str(owner_log)
        await run(lambda: driver.save_screenshot(str(tmp_path / "web-chat.png")))
        assert (tmp_path / "web-chat.png").stat().st_size > 10_000

        if os.environ.get("ESTATEBOT_SCREENSHOT_DIR"):  # refreshing docs/web-chat.png for the README
            shutil.copy(tmp_path / "web-chat.png", Path(os.environ["ESTATEBOT_SCREENSHOT_DIR"]) / "web-chat.png")
    finally:
        await run(driver.quit)


@needs_browser
async def test_a_refused_press_shows_its_alert_and_the_header_the_demo_clock(
    page_url: str, harness: BotHarness, tmp_path: Path
) -> None:
    """Issue 12, item 15: the bot refuses a second 受理 with an alert (answerCallbackQuery, show_alert); the
    page shows it as Telegram does — a dialog over that chat until OK — and the demo clock in the header."""
    import asyncio

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    owner, member, manager = 1001, staff_user_id(2), staff_user_id(3)  # 王芳, 钱质检 and 周主管 (质管部)
    number = await file_complaint(harness.person(owner, "王芳"), "服务态度", "地下车库照明坏了一周，没人处理。")
    await harness.person(member, "钱质检").press("受理")
    driver = await asyncio.to_thread(_chrome, tmp_path)

    def in_browser() -> tuple[str, str]:
        driver.get(page_url)
        for user in (owner, manager):
            Select(driver.find_element(By.ID, "persona")).select_by_value(str(user))
            driver.find_element(By.ID, "open").click()
        pane = driver.find_element(By.CSS_SELECTOR, f'section.pane[data-user="{manager}"]')
        WebDriverWait(driver, 20).until(lambda d: any("受理" in b.text for b in pane.find_elements(
            By.CSS_SELECTOR, ".inline button")))
        [accept] = [b for b in pane.find_elements(By.CSS_SELECTOR, ".inline button") if "受理" in b.text]
        accept.click()
        alert = WebDriverWait(driver, 20).until(lambda d: pane.find_element(By.CSS_SELECTOR, ".alert .box"))
        assert not driver.find_elements(By.CSS_SELECTOR, f'section.pane[data-user="{owner}"] .alert')
        text, header = alert.text, driver.find_element(By.TAG_NAME, "header").text
        driver.save_screenshot(str(tmp_path / "web-chat-alert.png"))
        pane.find_element(By.CSS_SELECTOR, ".alert-ok").click()
        WebDriverWait(driver, 10).until(lambda d: not pane.find_elements(By.CSS_SELECTOR, ".alert"))
        return text, header

    try:
        text, header = await asyncio.to_thread(in_browser)
    finally:
        await asyncio.to_thread(driver.quit)
    assert "该案件已被受理" in text and number.startswith("TS-")
    assert "2026-11-23 10:" in header and "工作时间" in header and "下个工作日 09:00" in header
    if os.environ.get("ESTATEBOT_SCREENSHOT_DIR"):
        shutil.copy(tmp_path / "web-chat-alert.png", Path(os.environ["ESTATEBOT_SCREENSHOT_DIR"]) / "web-chat-alert.png")
