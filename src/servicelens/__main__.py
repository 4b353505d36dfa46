from servicelens.cli.main import main

raise SystemExit(main())
