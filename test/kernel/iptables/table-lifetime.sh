iptables-save
iptables -S
iptables -L -n
iptables -t nat -L -n
iptables-save
iptables -Z
iptables-save
iptables -F
iptables-save
iptables -P INPUT ACCEPT
iptables-save
iptables -t nat -F
iptables-save -t nat
iptables -t raw -F
iptables-save
iptables-save -t mangle
iptables-save -t nope
iptables-save -t nat -t filter
iptables-save -x
iptables-save foo
iptables -t nat -N X
iptables-save
iptables-save -c
