# estatebot — the two set-up commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCALES := zh_Hans_CN zh_Hant_HK zh_Hant_TW en
PO := $(foreach l,$(LOCALES),locales/$(l)/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

.PHONY: run test lint locales extract-messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile -d locales -D messages -l $* --statistics 2>&1 | grep -v "^$$" || true
	test -f $@

locales: $(MO)

run: $(STAMP) locales
	$(BIN)/estatebot run

# Two workers (one per core here): each has its own PostgreSQL database (tests/conftest.py).
TEST_WORKERS ?= 2

test: $(STAMP) locales
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

# Developers: after changing user-facing strings, refresh the catalogs, then translate.
extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k Plural:1,2 --no-location --sort-output \
		--project estatebot --copyright-holder estatebot -o locales/messages.pot .
	for l in $(LOCALES); do \
		if [ -f locales/$$l/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages -l $$l --no-fuzzy-matching --ignore-obsolete; \
		else \
			$(BIN)/pybabel init -i locales/messages.pot -d locales -D messages -l $$l; \
		fi; \
	done

clean:
	rm -rf $(VENV) locales/*/LC_MESSAGES/*.mo
