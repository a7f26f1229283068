/* placeholder: replaced by the sync-failure shim */
int sarx_failsync_placeholder(void);
int sarx_failsync_placeholder(void) { return 0; }
