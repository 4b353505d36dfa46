"""Encryption helpers for secrets we must store (supplier portal logins, export archives)."""
import os

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app


def _key():
    return bytes.fromhex(current_app.config["FIELD_ENCRYPTION_KEY"])


def encrypt_secret(plaintext):
    padder = padding.PKCS7(128).padder()
    data = padder.update(plaintext.encode()) + padder.finalize()
    encryptor = Cipher(algorithms.AES(_key()), modes.ECB()).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def decrypt_secret(ciphertext):
    decryptor = Cipher(algorithms.AES(_key()), modes.ECB()).decryptor()
    data = decryptor.update(ciphertext) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return (unpadder.update(data) + unpadder.finalize()).decode()


def encrypt_blob(data, key=None, associated_data=b"partsdepot-export"):
    nonce = os.urandom(12)
    return nonce + AESGCM(key or _key()).encrypt(nonce, data, associated_data)


def decrypt_blob(blob, key=None, associated_data=b"partsdepot-export"):
    return AESGCM(key or _key()).decrypt(blob[:12], blob[12:], associated_data)
