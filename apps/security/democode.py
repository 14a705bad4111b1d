"""Print the current two-step code of the demo authenticator (README "The demo")."""

from __future__ import annotations

import time

from django_otp.oath import totp

from apps.security.demo import demo_key_hex

if __name__ == "__main__":
    print(
        f"{totp(bytes.fromhex(demo_key_hex())):06d}  (changes every 30 s at :00 and :30; now {time.strftime('%H:%M:%S')})"
    )
