iptables -N U
iptables -A INPUT -c 1 2 -j ACCEPT
iptables -A INPUT -c 999999 9999999 -j DROP
iptables -A INPUT -c 10000000 10000000000 -j U
iptables -I INPUT 2 -c 9999500 9999499 -j U
iptables -A U -c 99999999999 999999999999999 -j RETURN
iptables -P INPUT DROP -c 123456 987654321
iptables -P OUTPUT ACCEPT -c 100000 99999
iptables -L -n -v
iptables -L -n -v -x
iptables -L INPUT -n -v --line-numbers
iptables -S -v
iptables-save -c
iptables -Z INPUT 2
iptables -L INPUT -n -v
iptables -L -n -v -Z
iptables -L -n -v
iptables -R INPUT 1 -c 5 6 -j LOG
iptables -S INPUT -v
