"""Steps the browser tests share."""


def follow_menu(page, name):
    """Follow a link of the main menu, opening the menu first where a phone folds it."""
    button = page.get_by_role("button", name="Menu")
    if button.is_visible():
        button.click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()
