# Two commands on a fresh machine (Python >= 3.11):
#   make lab    set up .venv if missing, then open the collection in JupyterLab
#   make test   set up .venv if missing, then lint and run every test and notebook
# and one to present a notebook to a class as slides (docs/teaching.md, "Presenting"):
#   make present NB=03   open notebook 03 in JupyterLab in deck mode
#   make lab-zh          open the Chinese edition, with JupyterLab's interface in Chinese
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install lab lab-zh present test notebooks lint bench site clean

$(STAMP): requirements.txt binder/requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "Python 3.10 or newer is needed, found " + sys.version.split()[0]'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -e .
	$(BIN)/python -m attention_lib.lab_server install
	touch $(STAMP)

install: $(STAMP)

# As root (a container, CI) Jupyter refuses to start without --allow-root.
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root,)

# One notebook in JupyterLab, in jupyterlab-slideshow's deck mode (docs/teaching.md,
# "Presenting"). Its settings live in .venv/present/, so `make lab` is unchanged.
NUMBERS := $(foreach f,$(notdir $(wildcard notebooks/[0-9][0-9]_*.ipynb)),$(firstword $(subst _, ,$(f))))
ifneq ($(filter present,$(MAKECMDGOALS)),)
ifeq ($(strip $(NB)),)
$(error make present needs a notebook: make present NB=03 (the numbers are $(NUMBERS)))
endif
endif
present: $(STAMP)
	$(BIN)/python tools/present.py $(NB)

# JupyterLab's menus in Chinese (jupyterlab-language-pack-zh-CN), from a settings folder of
# its own (.venv/lab-zh/), and the kernels' exercise checkers in Chinese (attention_lib.i18n).
lab-zh: $(STAMP)
	$(BIN)/python tools/lab_zh.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

# ruff, then the unit and property tests and nbval (strict) over every notebook, in one run.
test: lint
	$(BIN)/python -m pytest tests notebooks --nbval --nbval-current-env \
	    --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

# Re-execute every notebook in place, saving outputs and widget state.
notebooks: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py

# The static site for students without a kernel: site/index.html and one page per notebook.
site: $(STAMP)
	$(BIN)/python tools/build_site.py

bench: $(STAMP)
	for f in benchmarks/*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) site artifacts .pytest_cache .ruff_cache .hypothesis
