# Two commands for a fresh machine: `make run` (the demo store) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ADDR ?= 127.0.0.1:8000
# Links in notices and e-mails point at the address the store runs on.
SITE_URL ?= http://$(ADDR)

.PHONY: run test lint messages clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

messages: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv --verbosity 0

# localstripe (a Stripe-compatible server) runs on loopback beside the store,
# with the store's webhook registered, unless real STRIPE_* keys are set.
STRIPE_PORT ?= 8420
LOCAL_STRIPE := STRIPE_SECRET_KEY=sk_test_bangfu_local STRIPE_PUBLISHABLE_KEY=pk_test_bangfu_local \
	STRIPE_WEBHOOK_SECRET=whsec_bangfu_local STRIPE_API_BASE=http://127.0.0.1:$(STRIPE_PORT) \
	STRIPE_JS_URL=http://127.0.0.1:$(STRIPE_PORT)/js.stripe.com/v3/

# Its state is kept beside the SQLite database (and removed with it by
# `make clean`), so the demo's past payments and refunds stay there.
STRIPE_STATE ?= db.sqlite3-localstripe

run: messages
	$(PY) manage.py migrate --noinput --verbosity 0
	@if [ -z "$(STRIPE_SECRET_KEY)" ]; then \
		mkdir -p $(STRIPE_STATE); \
		$(PY) -m storefront.checkout.devstripe --port $(STRIPE_PORT) --state-dir $(STRIPE_STATE) \
			--webhook-url http://$(ADDR)/shop/checkout/stripe/webhook/ \
			--webhook-secret whsec_bangfu_local & stripe_pid=$$!; \
		trap "kill $$stripe_pid" EXIT INT TERM; \
		$(PY) -m storefront.checkout.devstripe --wait --port $(STRIPE_PORT) || exit 1; \
		$(LOCAL_STRIPE) $(PY) manage.py load_demo || exit 1; \
		SITE_URL=$(SITE_URL) $(LOCAL_STRIPE) $(PY) manage.py db_worker --no-startup-delay --verbosity 0 & worker_pid=$$!; \
		trap "kill $$worker_pid $$stripe_pid" EXIT INT TERM; \
		echo "localstripe on 127.0.0.1:$(STRIPE_PORT); test card 4242 4242 4242 4242"; \
		SITE_URL=$(SITE_URL) $(LOCAL_STRIPE) $(PY) manage.py runserver $(ADDR); \
	else \
		$(PY) manage.py load_demo || exit 1; \
		SITE_URL=$(SITE_URL) $(PY) manage.py db_worker --no-startup-delay --verbosity 0 & worker_pid=$$!; \
		trap "kill $$worker_pid" EXIT INT TERM; \
		SITE_URL=$(SITE_URL) $(PY) manage.py runserver $(ADDR); \
	fi

test: messages
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles
