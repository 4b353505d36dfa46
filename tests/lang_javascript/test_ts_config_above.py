"""A review of a project's `src/` uses the path aliases of the project's tsconfig above it, as
TypeScript does (it walks up from each file to find its config); not past a repository's top."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

_FILES = {
    "tsconfig.json": """
        {
          // comments, as tsc reads them
          "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./src/*"], "@/abis/*": ["./abis/*"] } },
        }
        """,
    "src/auth/require-user.ts": """
        import { Request, Response, NextFunction } from 'express';
        export function requireUser(req: Request, res: Response, next: NextFunction) {
          if (!req.headers.authorization) {
            return res.status(401).json({ error: 'unauthorized' });
          }
          next();
        }
        """,
    "src/app.ts": """
        import express from 'express';
        import { requireUser } from '@/auth/require-user';
        const app = express();
        app.get('/notes', requireUser, (req, res) => res.json([]));
        app.listen(3000);
        """,
}


def _write(root: Path) -> None:
    for rel, text in _FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(dedent(text))


def _auth(root: Path) -> str:
    report = review(root, Settings(use_cache=False))
    return next(e.auth for s in report.overview.services for e in s.endpoints if e.path == "/notes")


def test_the_aliases_of_a_config_above_the_review_root_resolve(tmp_path: Path) -> None:
    _write(tmp_path)
    assert _auth(tmp_path / "src") == "required"  # `@/auth/require-user` is src/auth/require-user.ts


def test_no_config_is_read_above_a_repository_top(tmp_path: Path) -> None:
    _write(tmp_path)
    (tmp_path / "src" / ".git").mkdir()  # the review root is a repository of its own
    assert _auth(tmp_path / "src") == "unknown"
