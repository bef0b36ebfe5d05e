"""The demo account the fake registry accepts. None of these values is a secret anywhere else."""

from __future__ import annotations

DEMO_REGION = "cn-north-4"
DEMO_PROJECT_ID = "0b4f8a6e2c8f4d5a9e1f3c7b6d2a8e90"
DEMO_DOMAIN = "acme-corp"
DEMO_DOMAIN_ID = "5d2f9c1e7a4b4e0f8c6d3a2b1e9f7c05"
DEMO_USER = "demo-user"
DEMO_USER_ID = "7c1e5a9d3b2f4c8e9a0d6f1b2c3e4a5d"
DEMO_PASSWORD = "demo-password"  # noqa: S105 (only the fake registry accepts it)
DEMO_AK = "DEMOSWRTUIAKFAKE0001"
DEMO_SK = "DemoSwrTuiSecretKeyForTheFakeRegistry000"
DEMO_TOKEN = "MIIDemoTokenSwrTuiFakeRegistry-valid-until-expired"  # noqa: S105 (only the fake accepts it)
