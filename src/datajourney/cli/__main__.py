from datajourney.cli import main

main()
