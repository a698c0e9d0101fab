"""The sandbox's web chat in headless Chromium: an owner files a complaint, staff accept it.

Needs Debian's chromium and chromium-driver (`.ci/run` installs them); skipped without them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from aiohttp import web

from bot.sandbox.demo import seed_demo, staff_user_id
from bot.sandbox.web import ChatPage
from tests.harness import BotHarness

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
needs_browser = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="needs chromium and chromium-driver")


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


@needs_browser
async def test_owner_files_a_complaint_and_staff_accept_it_in_the_browser(
    page_url: str, harness: BotHarness, tmp_path: Path
) -> None:
    import asyncio

    from selenium import webdriver
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webelement import WebElement
    from selenium.webdriver.support.ui import Select, WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,900", f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    driver = await asyncio.to_thread(webdriver.Chrome, service=Service(str(CHROMEDRIVER)), options=options)

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
