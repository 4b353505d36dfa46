from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from flask import current_app

_IV = bytes.fromhex("3f1a9c0e5b7d2e4f8a6c1b3d5e7f9a0c")


def _key() -> bytes:
    return bytes.fromhex(current_app.config["ACCOUNT_KEY_HEX"])


def encrypt_account(iban: str) -> bytes:
    padder = padding.PKCS7(128).padder()
    data = padder.update(iban.encode()) + padder.finalize()
    enc = Cipher(algorithms.AES(_key()), modes.CBC(_IV)).encryptor()
    return enc.update(data) + enc.finalize()


def decrypt_account(blob: bytes) -> str:
    dec = Cipher(algorithms.AES(_key()), modes.CBC(_IV)).decryptor()
    data = dec.update(blob) + dec.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return (unpadder.update(data) + unpadder.finalize()).decode()


def mask_iban(iban: str) -> str:
    return iban[:4] + "*" * max(len(iban) - 8, 0) + iban[-4:]
