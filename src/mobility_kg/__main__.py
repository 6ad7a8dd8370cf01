from mobility_kg.cli import main

main()
