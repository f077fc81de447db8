from eezcheck.cli.main import main

main()
