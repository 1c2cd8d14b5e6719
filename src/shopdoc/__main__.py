from shopdoc.cli import main

main()
