# iptables-restore reports a jump to a missing chain at the COMMIT line, where nf_tables checks
# it; a bad option at its own line.
printf '*filter\n-A INPUT -j BOGUS\nCOMMIT\n' | iptables-restore
printf '*filter\n-A INPUT -p tcp\n-A INPUT -j BOGUS\n-A INPUT -j ACCEPT\nCOMMIT\n' | iptables-restore
printf '*filter\n-A BOGUS -j ACCEPT\nCOMMIT\n' | iptables-restore
printf '*filter\n-A INPUT --bogus\nCOMMIT\n' | iptables-restore
iptables -S
