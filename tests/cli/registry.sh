#!/bin/sh
# placeholder: replaced by the registry CLI tests
echo "registry cli: 0 passed, 0 failed"
