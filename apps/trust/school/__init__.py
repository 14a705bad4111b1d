"""Pages the trust package serves on a school's own host (not the trust console): the school's
SENCo starts, accepts and declines in-trust transfers here. Routed from sencohub.urls_school at
``/trust-transfers/``; the console's own pages are ``apps.trust.views`` / ``apps.trust.urls``."""
