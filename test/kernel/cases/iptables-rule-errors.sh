# Errors of rule commands on chains that do not exist yet: deleting or checking a rule by its
# spec finds no matching rule, replacing one finds no chain, and an index past the end is too
# big. A letter iptables has no option for is an unknown option.
iptables -D INPUT -j DROP
iptables -C FORWARD -j DROP
iptables -R INPUT 1 -j DROP
iptables -t nat -D OUTPUT -j ACCEPT
iptables -D NOSUCH -j DROP
iptables -A INPUT -j ACCEPT
iptables -D INPUT -j ACCEPT
iptables -A INPUT -j ACCEPT
iptables -R INPUT 2 -j DROP
iptables -R INPUT 1 -j DROP
iptables -S
iptables -Q
iptables -y
iptables -A INPUT -K 1 -j ACCEPT
iptables --nosuch
iptables -A INPUT --nosuch 1 -j ACCEPT
iptables -L -Q
