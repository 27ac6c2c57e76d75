from evidens.cli import main

main()
