cookie_flag = True
def broken(:
    pass
