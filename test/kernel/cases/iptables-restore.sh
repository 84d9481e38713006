# iptables-restore from a file, from a pipe and from a redirection; --noflush; a bad line.
mount -t tmpfs tmpfs /tmp
iptables -N web
iptables -A INPUT -p tcp --dport 80 -j web
iptables -A web -s 10.0.0.0/8 -j ACCEPT
iptables -t nat -A POSTROUTING -s 172.18.0.0/24 -j MASQUERADE
iptables-save > /tmp/rules
iptables -F
iptables -X web
iptables -t nat -F
iptables -S
iptables-restore /tmp/rules
iptables -S
iptables -t nat -S
iptables -P FORWARD DROP
iptables-restore < /tmp/rules
iptables -S FORWARD
printf '*filter\n-A INPUT -p icmp -j ACCEPT\nCOMMIT\n' | iptables-restore -n
iptables -S INPUT
printf '*filter\n-A INPUT -p bogus -j ACCEPT\nCOMMIT\n' | iptables-restore
iptables -S INPUT
printf '*filter\n-A INPUT -j ACCEPT\n' | iptables-restore
iptables-restore /tmp/nosuch
